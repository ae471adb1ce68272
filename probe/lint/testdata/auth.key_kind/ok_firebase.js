const firebaseConfig = { apiKey: "@@GOOGLE@@", projectId: "demo" };
